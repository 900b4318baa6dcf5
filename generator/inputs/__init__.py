"""What users hand us and the data we ship: bounded file reading, mkdocs.yml and publisher
settings files, the 2025 administrative units and their pre-2025 predecessors."""
