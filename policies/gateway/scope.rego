# METADATA
# title: Area scope
# description: >-
#   Whose rows a principal may see: the scope checks on the request, and the row filter the store
#   compiles into SQL.
package gateway

import rego.v1

# METADATA
# title: Outside the principal's scope
# description: >-
#   A request may not reach past the area its agreement and its principal are limited to: another LA,
#   another school, or figures for a larger area than its rows cover.
# custom:
#   statute: UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope
deny contains reason(
	"DENY_SCOPE_OUTSIDE_PRINCIPAL",
	concat(" ", sort(scope_violations)),
	"UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
) if count(scope_violations) > 0

scope := agreement.scope

principal_la := input.principal.scope.la_code

principal_urn := input.principal.scope.urn

principal_has_la if is_number(principal_la)

principal_has_urn if is_number(principal_urn)

scope_violations contains "This principal carries no LA code." if {
	scope == "own-la"
	not principal_has_la
}

# An LA's rows are its own area under every agreement (see row_filter), so it may not name another LA.
scope_violations contains msg if {
	input.principal.organisation_type == "la"
	is_number(input.request.la_code)
	input.request.la_code != principal_la
	msg := sprintf("LA %v may only see its own area, not LA %v.", [principal_la, input.request.la_code])
}

scope_violations contains "This principal carries no school URN." if {
	scope in {"own-school", "benchmark-own-school"}
	not principal_has_urn
}

scope_violations contains msg if {
	scope == "own-school"
	is_number(input.request.urn)
	input.request.urn != principal_urn
	msg := sprintf("School %v may only see its own pupils, not school %v.", [principal_urn, input.request.urn])
}

scope_violations contains msg if {
	scope == "own-school"
	input.request.level == "la"
	msg := sprintf("School %v may not ask for la figures under %v.", [principal_urn, agreement_id])
}

scope_violations contains msg if {
	scope == "benchmark-own-school"
	input.request.urn != principal_urn
	msg := sprintf("School %v may only benchmark itself, not %v.", [principal_urn, input.request.urn])
}

# Rows limited to an LA or a school cannot make a national or regional figure: it would be mislabelled.
scope_violations contains msg if {
	input.request.level in {"national", "region"}
	rows_limited_to_area
	msg := sprintf(
		"%v may not ask for %v figures under %v: its rows are limited to its own area.",
		[area_principal, input.request.level, agreement_id],
	)
}

area_principal := sprintf("LA %v", [principal_la]) if input.principal.organisation_type == "la"

area_principal := sprintf("School %v", [principal_urn]) if input.principal.organisation_type == "school"

rows_limited_to_area if row_filter.la_codes != null

rows_limited_to_area if row_filter.urns != null

# An LA principal is held to its own area whatever the agreement's scope; a school to its own URN
# except when benchmarking, where others appear only through disclosure control.
row_filter := {
	"la_codes": filter_la_codes,
	"urns": filter_urns,
	"organisations": filter_organisations,
}

filter_la_codes := [principal_la] if input.principal.organisation_type == "la"

filter_la_codes := null if input.principal.organisation_type != "la"

filter_urns := [principal_urn] if {
	input.principal.organisation_type == "school"
	scope != "benchmark-own-school"
}

filter_urns := null if input.principal.organisation_type != "school"

filter_urns := null if scope == "benchmark-own-school"

filter_organisations := [input.principal.organisation] if scope == "own-organisation"

filter_organisations := null if scope != "own-organisation"
