# Whose rows a principal may see: scope checks on the request and the row filter the store compiles to SQL.
package gateway

import rego.v1

deny contains reason(
	"DENY_SCOPE_OUTSIDE_PRINCIPAL",
	concat(" ", sorted(scope_violations)),
	"UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
) if count(scope_violations) > 0

principal_la := input.principal.scope.la_code

# The agreement's scope and the principal's organisation type, each looked up once for all the rules below.
scope := agreement.scope

org_type := input.principal.organisation_type

principal_urn := input.principal.scope.urn

scope_violations contains "This principal carries no LA code." if {
	scope == "own-la"
	not is_number(principal_la)
}

scope_violations contains msg if {
	scope == "own-la"
	is_number(input.request.la_code)
	input.request.la_code != principal_la
	msg := sprintf("LA %v may only see its own area, not LA %v.", [principal_la, input.request.la_code])
}

scope_violations contains msg if {
	scope == "own-la"
	input.request.level in ["national", "region"]
	msg := sprintf("LA %v may not ask for %v figures under %v.", [principal_la, input.request.level, agreement_id])
}

scope_violations contains "This principal carries no school URN." if {
	scope in ["own-school", "benchmark-own-school"]
	not is_number(principal_urn)
}

scope_violations contains msg if {
	scope == "own-school"
	is_number(input.request.urn)
	input.request.urn != principal_urn
	msg := sprintf("School %v may only see its own pupils, not school %v.", [principal_urn, input.request.urn])
}

scope_violations contains msg if {
	scope == "own-school"
	input.request.level in ["national", "region", "la"]
	msg := sprintf("School %v may not ask for %v figures under %v.", [principal_urn, input.request.level, agreement_id])
}

scope_violations contains msg if {
	scope == "benchmark-own-school"
	input.request.urn != principal_urn
	msg := sprintf("School %v may only benchmark itself, not %v.", [principal_urn, input.request.urn])
}

# An LA principal is held to its own area whatever the agreement's scope; a school to its own URN
# except when benchmarking, where others appear only through disclosure control.
row_filter := {
	"la_codes": filter_la_codes,
	"urns": filter_urns,
	"organisations": filter_organisations,
} if not trust_principal

filter_la_codes := [principal_la] if org_type == "la"

filter_la_codes := null if org_type != "la"

filter_urns := [principal_urn] if {
	org_type == "school"
	scope != "benchmark-own-school"
}

filter_urns := null if org_type != "school"

filter_urns := null if scope == "benchmark-own-school"

filter_organisations := [input.principal.organisation] if scope == "own-organisation"

filter_organisations := null if scope != "own-organisation"
