"""The HTTP layer: a module per resource with its views, and the schemas, listing,
errors, OpenAPI and middleware they share."""
