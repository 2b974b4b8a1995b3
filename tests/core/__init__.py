"""Core robustness tests: bad input gives the library's own errors, odd input gives right answers."""
