"""editor.batch: recipes run headless over many images (`veil batch`), no Qt.

recipe.py reads and checks a recipe, steps.py holds each step (a registered operation) and
one image through them, runner.py the manifest, the process pool and Dask, labels.py masks
as recognition labels.
"""

from .recipe import Recipe, RecipeError, load_recipe, parse_recipe
from .runner import BatchReport, run_batch

__all__ = ["BatchReport", "Recipe", "RecipeError", "load_recipe", "parse_recipe", "run_batch"]
