package cht

import (
	"slices"
	"testing"
)

func TestHasPermissions(t *testing.T) {
	settings := map[string]any{"roles": DefaultRoles(), "permissions": DefaultPermissions()}
	settings["permissions"].(map[string]any)["can_undeclared"] = []any{"ghost"}
	cases := []struct {
		name  string
		roles []string
		perms []string
		want  bool
	}{
		{"GatewayCreatesRecords", []string{"gateway", "mm-online"}, []string{"can_create_records"}, true},
		{"GatewayHoldsItsFourDefaults", []string{"gateway"}, []string{"can_access_gateway_api", "can_create_records", "can_edit", "can_view_unallocated_data_records"}, true},
		{"GatewayCannotConfigure", []string{"gateway"}, []string{"can_edit", "can_configure"}, false},
		{"AdminPassesEverything", []string{"admin"}, []string{"can_configure", "can_anything"}, true},
		{"DBAdminPassesEverything", []string{"_admin"}, []string{"can_configure"}, true},
		{"UndeclaredRoleGrantsNothing", []string{"ghost"}, []string{"can_undeclared"}, false},
		{"UnknownPermissionIsNotHeld", []string{"gateway"}, []string{"can_fly"}, false},
		{"NegatedPermissionMustNotBeHeld", []string{"gateway"}, []string{"!can_edit"}, false},
		{"NegatedPermissionNotHeldPasses", []string{"gateway"}, []string{"!can_configure"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := HasPermissions(settings, tc.roles, tc.perms...); got != tc.want {
				t.Fatalf("HasPermissions(%v, %v) = %v", tc.roles, tc.perms, got)
			}
		})
	}
}

func TestOnlineRoles(t *testing.T) {
	settings := map[string]any{"roles": DefaultRoles()}
	cases := []struct {
		name        string
		roles, want []string
	}{
		{"DeclaredOnlineRoleGetsMarker", []string{"gateway"}, []string{"gateway", "mm-online"}},
		{"OfflineRoleLosesMarker", []string{"chw", "mm-online"}, []string{"chw"}},
		{"UndeclaredRolesAreOffline", []string{"national_admin", "mm-online"}, []string{"national_admin"}},
		{"MixedOfflineWins", []string{"gateway", "chw"}, []string{"gateway", "chw"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := onlineRoles(settings, tc.roles); !slices.Equal(got, tc.want) {
				t.Fatalf("onlineRoles(%v) = %v, want %v", tc.roles, got, tc.want)
			}
		})
	}
	if !IsOnline([]string{"admin"}) || IsOnline([]string{"chw"}) || !IsOnline([]string{"x", "mm-online"}) {
		t.Fatal("IsOnline")
	}
}

func TestFillPermissions(t *testing.T) {
	s := map[string]any{"permissions": map[string]any{"can_edit": []any{"chw"}}}
	FillPermissions(s)
	perms := s["permissions"].(map[string]any)
	if len(perms) != len(defaultPermissions) {
		t.Fatalf("filled %d permissions, want %d", len(perms), len(defaultPermissions))
	}
	if got := perms["can_edit"].([]any); len(got) != 1 || got[0] != "chw" {
		t.Fatalf("a given permission was overwritten: %v", got)
	}
	empty := map[string]any{}
	FillPermissions(empty)
	if len(empty["permissions"].(map[string]any)) != len(defaultPermissions) {
		t.Fatal("absent permissions were not inserted")
	}
}
