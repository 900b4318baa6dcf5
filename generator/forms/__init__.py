"""Forms as data: each form's printed fields (forms/<id>/fields.yml), read, checked and
evaluated."""
