"""Pure knowledge: parsers and rules, no I/O, no git."""
