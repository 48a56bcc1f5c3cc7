"""Users, their membership of organisations and territories, and their roles."""
