extensions = ["myst_parser", "build_tools.sphinx_ext"]
language = "zh_CN"
numfig = True
html_theme = "basic"
