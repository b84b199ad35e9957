"""French language work on records: workshop axes, classification, deduplication. Knows no Prefect, writes no files except models."""
