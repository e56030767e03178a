"""Unit tests of finance."""
