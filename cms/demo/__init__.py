"""Demo content: fictional libraries, networks, plans and projects for trying the product.

The organisations are invented; place names are real Dutch municipalities so the plans
read naturally. Nothing here claims to describe a real library.
"""
