"""Request rules: what a query request may ask and how it is read (protocol parameters, media types, the pre-check, nesting limits, SERVICE rules, syntax errors)."""
