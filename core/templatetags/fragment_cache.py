"""``{% fragment "name" [value ...] %}…{% endfragment %}``: a part of a page rendered once per content
generation, language and values in each process (``core.cache.fragment``).

Only around parts that depend on nothing but the content, the language and the values named: never on
the request's user, cookies or messages (a request with a session gets no cached fragment anyway), and
setting no variable that the rest of the page reads.
"""

from django import template

from core.cache import fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context):
        key = (self.name, *(str(value.resolve(context)) for value in self.values))
        return fragment(context.get("request"), key, lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a quoted name, then optional values to vary on.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
