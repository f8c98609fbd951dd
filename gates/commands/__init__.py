"""One module per subcommand, each with add_parser() and main(args) -> int."""
