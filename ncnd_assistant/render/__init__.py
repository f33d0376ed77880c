"""Renderings of assessments: Rich for the terminal, Markdown, JSON."""
