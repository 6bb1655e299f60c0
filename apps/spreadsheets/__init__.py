"""Spreadsheets in and out: templates, all-or-nothing import, mart and evaluation-form export.

The CLI (`monev template|import|export`) and the dashboard's upload and download call the same
functions, so a file is judged the same way wherever it arrives.
"""
