"""One module per source; each defines ``SOURCE``."""
