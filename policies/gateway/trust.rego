# Multi-academy trusts: a trust principal sees its own academies, as an LA sees its area.
package gateway

import rego.v1

trust_principal if input.principal.organisation_type == "trust"

principal_trust := input.principal.scope.trust_id

scope_violations contains "This principal carries no trust id." if {
	trust_principal
	not is_number(principal_trust)
}

scope_violations contains msg if {
	trust_principal
	is_number(input.request.trust_id)
	input.request.trust_id != principal_trust
	msg := sprintf("Trust %v may only see its own schools, not trust %v.", [principal_trust, input.request.trust_id])
}

# A trust's schools are part of their LAs and regions, so rows for those would carry an area's name over
# only some of its schools; likewise a trust row for an LA or a school, whose rows are its own area.
scope_violations contains msg if {
	trust_principal
	input.request.level in ["national", "region", "la"]
	msg := sprintf(
		"Trust %v may not ask for %v figures under %v: its rows are its own schools.",
		[principal_trust, input.request.level, agreement_id],
	)
}

scope_violations contains msg if {
	input.request.level == "trust"
	msg := sprintf(
		"%v may not ask for trust figures under %v: its rows are limited to its own area.",
		[own_area_name, agreement_id],
	)
}

own_area_name := sprintf("LA %v", [principal_la]) if input.principal.organisation_type == "la"

own_area_name := sprintf("School %v", [principal_urn]) if input.principal.organisation_type == "school"

# A trust principal is held to its own trust whatever the agreement's scope (scope.rego's row filter is
# for every other principal). Benchmarks of a school need that filter too: the school must be the trust's.
row_filter := {
	"la_codes": null,
	"urns": null,
	"organisations": filter_organisations,
	"trust_ids": [principal_trust],
} if trust_principal
