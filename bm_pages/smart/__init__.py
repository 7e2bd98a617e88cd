"""The SMART check of projects: rules as data (``rules``), the editor's live panel,
the "SMART-controle" workflow task's admin, and where the result is shown."""
