"""Watch lists: products, categories and export markets someone follows by a token, with their
change feed (JSON and Atom), webhooks and the webhooks' delivery log."""
