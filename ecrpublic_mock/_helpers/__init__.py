"""The handle's front end: helpers that seed state in one line, and read-only views."""
