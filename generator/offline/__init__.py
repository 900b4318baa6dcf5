"""The offline form: its field tree and page, the browser validator and print bundles, and
the prebuilt outputs of the Node tools that make them."""
