// Dict and selection filters (expected values checked against ansible-core 2.14).
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("filters: dict2items and items2dict", "[template][filters]") {
  CHECK(eval("d | dict2items") == lit("[{'key': 'k', 'value': 1}, {'key': 'n', 'value': {'x': 2}}]"));
  CHECK(eval("{'a': 1} | dict2items(key_name='n', value_name='v')") == lit("[{'n': 'a', 'v': 1}]"));
  CHECK(eval("[{'key': 'a', 'value': 1}, {'key': 'b', 'value': 2}] | items2dict") == lit("{'a': 1, 'b': 2}"));
  CHECK(eval("[{'n': 'a', 'v': 1}] | items2dict('n', 'v')") == lit("{'a': 1}"));
  CHECK(eval("d | dict2items | items2dict") == eval("d"));
  CHECK(eval_error("[{'key': 'a'}] | items2dict") ==
        "x.yml:14:26: filter 'items2dict': requires each dictionary in the list to contain the keys 'key' and "
        "'value', got [{'key': 'a'}] instead");
  CHECK(eval("{'a': 1} | items") == lit("[['a', 1]]"));
}

TEST_CASE("filters: combine", "[template][filters]") {
  CHECK(eval("{'a': 1, 'b': {'x': 1}} | combine({'b': {'y': 2}, 'c': 3})") == lit("{'a': 1, 'b': {'y': 2}, 'c': 3}"));
  CHECK(eval("{'a': 1, 'b': {'x': 1}} | combine({'b': {'y': 2}}, recursive=true)") ==
        lit("{'a': 1, 'b': {'x': 1, 'y': 2}}"));
  CHECK(eval("{'a': 1} | combine({'a': 2}, {'a': 3})") == lit("{'a': 3}"));
  CHECK(eval("[{'a': 1}, {'b': 2}] | combine") == lit("{'a': 1, 'b': 2}"));
  CHECK(eval("{} | combine") == lit("{}"));
  CHECK(eval("{'a': [1, 2]} | combine({'a': [2, 3]})") == lit("{'a': [2, 3]}"));
  CHECK(eval("{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='keep')") == lit("{'a': [1, 2]}"));
  CHECK(eval("{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='append')") == lit("{'a': [1, 2, 2, 3]}"));
  CHECK(eval("{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='prepend')") == lit("{'a': [2, 3, 1, 2]}"));
  CHECK(eval("{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='append_rp')") == lit("{'a': [1, 2, 3]}"));
  CHECK(eval("{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='prepend_rp')") == lit("{'a': [2, 3, 1]}"));
  CHECK(eval_error("{} | combine({}, list_merge='x')") ==
        "x.yml:14:14: filter 'combine': list_merge must be one of replace, keep, append, prepend, append_rp, "
        "prepend_rp");
}

TEST_CASE("filters: extract", "[template][filters]") {
  CHECK(eval("['k'] | map('extract', d) | list") == lit("[1]"));
  CHECK(eval("'n' | extract(d, 'x')") == Value(2));
  CHECK(eval("0 | extract(users, ['name'])") == Value("alice"));
}

TEST_CASE("filters: map", "[template][filters]") {
  CHECK(eval("users | map(attribute='name') | list") == lit("['alice', 'bob']"));
  CHECK(eval("lst | map('upper') | list") == lit("['A', 'B', 'C']"));
  CHECK(eval("lst | map('replace', 'a', 'x') | list") == lit("['x', 'b', 'c']"));
  CHECK(eval("users | map(attribute='missing', default='-') | list") == lit("['-', '-']"));
  CHECK(eval("[{'a': {'b': 1}}] | map(attribute='a.b') | list") == lit("[1]"));
  CHECK(eval("[[1, 2], [3, 4]] | map(attribute=1) | list") == lit("[2, 4]"));
  CHECK(eval_error("users | map(attribute='missing') | list") ==
        "x.yml:14:17: filter 'map': 'dict object' has no attribute 'missing'");
}

TEST_CASE("filters: select and reject", "[template][filters]") {
  CHECK(eval("[1, 2, 3, 4] | select('odd') | list") == lit("[1, 3]"));
  CHECK(eval("[1, 2, 3, 4] | reject('odd') | list") == lit("[2, 4]"));
  CHECK(eval("[0, 1, '', 'a', none] | select | list") == lit("[1, 'a']"));
  CHECK(eval("[1, 2, 3] | select('gt', 1) | list") == lit("[2, 3]"));
  CHECK(eval("[1, 2, 3] | select('>=', 2) | list") == lit("[2, 3]"));
  CHECK(eval("['ab', 'cd'] | select('match', 'a') | list") == lit("['ab']"));
  CHECK(eval("['ab', 'cd'] | reject('search', 'd') | list") == lit("['ab']"));
  CHECK(eval("[1, 'a', none] | select('string') | list") == lit("['a']"));
}

TEST_CASE("filters: selectattr and rejectattr", "[template][filters]") {
  CHECK(eval("users | selectattr('admin') | map(attribute='name') | list") == lit("['alice']"));
  CHECK(eval("users | rejectattr('admin') | map(attribute='name') | list") == lit("['bob']"));
  CHECK(eval("users | selectattr('name', 'equalto', 'bob') | map(attribute='uid') | list") == lit("[1001]"));
  CHECK(eval("users | selectattr('name', '==', 'bob') | length") == Value(1));
  CHECK(eval("users | selectattr('name', 'in', ['alice']) | length") == Value(1));
  CHECK(eval("users | selectattr('uid', 'gt', 1000) | length") == Value(1));
  CHECK(eval("users | selectattr('shell', 'defined') | list") == lit("[]"));
  CHECK(eval("users | selectattr('shell', 'undefined') | length") == Value(2));
  CHECK(eval("users | selectattr('name', 'match', '^b') | length") == Value(1));
  // A missing attribute is an error unless the test handles undefined.
  CHECK(eval_error("users | selectattr('shell', 'equalto', 'x') | list") ==
        "x.yml:14:17: filter 'selectattr': 'dict object' has no attribute 'shell'");
}

TEST_CASE("filters: dictsort", "[template][filters]") {
  // Expected values from Jinja2 3.1 (Debian's python3-jinja2).
  CHECK(eval("{'b': 2, 'A': 3, 'c': 1} | dictsort") == lit("[('A', 3), ('b', 2), ('c', 1)]"));
  CHECK(eval("{'b': 2, 'A': 3, 'c': 1} | dictsort(true)") == lit("[('A', 3), ('b', 2), ('c', 1)]"));
  CHECK(eval("{'b': 2, 'A': 3, 'c': 1} | dictsort(by='value')") == lit("[('c', 1), ('b', 2), ('A', 3)]"));
  CHECK(eval("{'b': 2, 'A': 3, 'c': 1} | dictsort(reverse=true)") == lit("[('c', 1), ('b', 2), ('A', 3)]"));
  CHECK(render("{% for k, v in {'y': 1, 'x': 2} | dictsort %}{{ k }}={{ v }};{% endfor %}").to_display() == "x=2;y=1;");
}
