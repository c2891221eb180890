# A package, so that test modules can share ``records.py`` by relative
# import and their names cannot collide with tests elsewhere.
