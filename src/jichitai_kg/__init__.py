"""jichitai-kg: a knowledge graph of ICT adoption in eight Japanese local governments."""

__version__ = "0.1.0"
