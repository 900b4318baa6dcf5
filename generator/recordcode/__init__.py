"""Record codes: a group record carried on paper in a few QR codes, and read back (codec.py:
the encoding; scan.py: reading codes from images with zbar)."""
