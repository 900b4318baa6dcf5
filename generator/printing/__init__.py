"""Printed declarations: what each form shows from a record, laid out by WeasyPrint."""
