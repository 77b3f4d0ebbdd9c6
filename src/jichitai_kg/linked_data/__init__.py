"""Linked-data publishing: representations, page rows, VoID, dumps."""
