// Parses template text into statements: literal text, {{ output }}, and
// {% if %} / {% for %} / {% set %} blocks, applying Jinja's whitespace
// control ({%- -%}, trim_blocks, lstrip_blocks) and {% raw %} and
// {# comments #} while scanning.
#pragma once

#include <memory>
#include <string_view>

#include "ast.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/template/template.h"
#include "source.h"

namespace fleetk8s::tmpl::detail {

// True when `text` holds "{{", "{%" or "{#": anything to render at all.
bool has_template_markers(std::string_view text);

// Parses `text`, with "\r\n" and "\r" read as "\n" as Jinja reads them.
// Errors carry places from `where` (see Source for `exact` and `path`). As
// in Jinja (keep_trailing_newline off) one final newline is not part of the
// body; rendering restores trailing newlines as Ansible does.
Result<std::shared_ptr<const ParsedTemplate>> parse_template(std::string_view text, const Origin& where,
                                                             const TemplateOptions& options, bool exact = true,
                                                             const std::string& path = "");

}  // namespace fleetk8s::tmpl::detail
