"""The regulator's public XSDs of the enterprise interface v3.0, byte-identical copies (a package so they ship)."""
