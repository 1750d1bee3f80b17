"""Compagnon: a Matrix bot for learning communities."""
