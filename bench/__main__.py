"""`python -m bench`: runs every benchmark in turn."""

from bench import images, page_weight

if __name__ == "__main__":
    page_weight.main()
    images.main()
