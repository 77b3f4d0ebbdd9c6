"""``python -m jichitai_kg``: the same as the ``jichitai-kg`` command."""


from .cli import run

run()
