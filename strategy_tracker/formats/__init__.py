"""Date and time formats where Django's own locale files leave a gap
(`FORMAT_MODULE_PATH`); every other name comes from Django's locale files."""
