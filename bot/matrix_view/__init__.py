"""The matrix as a picture: one grid model (grid.py) drawn as an HTML page (html.py) and a PNG (png.py).

Pure: nothing here talks to Slack or the database; callers hand in an `Ownership`.
"""
