"""One module per gate; the module name is the gate id with `-` as `_`, and it exposes `GATE`."""
