"""Reading and writing: dataset folders, networkx graphs and graph files."""
