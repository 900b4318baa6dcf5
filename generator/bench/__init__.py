"""`make bench`: the pipeline's figures against the issues' budgets (``python -m lienthong.bench``)."""
