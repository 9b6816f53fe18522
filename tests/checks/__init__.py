"""Tests of the independent plan checks (solver/checks), one file per rule family."""
