"""Shim for `hooks:` in mkdocs.yml: the engine loads hooks by file path, so this file
maps its events to the adapter module, which mkdocs-macros also imports by name (one
module, one state), and the serve event to the serve loop. It is as thin as it can be
and imports no engine module itself (that is macros/site/engine.py, the seam). The
adapter's functions are not named on_* because mkdocs-macros would call such
functions of a macros module as its own hooks."""

from macros.site.adapter import hook_config, hook_env, hook_files, hook_nav, hook_post_build
from macros.site.serve import hook_serve

on_config = hook_config
on_files = hook_files
on_nav = hook_nav
on_env = hook_env
on_post_build = hook_post_build
on_serve = hook_serve
