"""What every API endpoint shares: one error shape (`errors`), its description in the
OpenAPI document (`schema`), pagination, ETags and preconditions, translated text, and
the base viewset that scopes every read (`viewsets`)."""
