"""Pure rules of the community: no I/O, no Matrix, no SQL."""
