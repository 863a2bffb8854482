"""Findings pipeline: load and check YAML findings, render Markdown pages and exports, build the site."""
