"""Placeholder; replaced by the demo-data generator."""
import click


@click.command("demo-data")
def demo_data_command() -> None:
    """Generate demo data."""
