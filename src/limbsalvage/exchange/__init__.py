"""CSV exchange of the registry: export, validated bulk import, de-identified extract."""
