// Package supabaseclient drives the sandbox's Supabase Management API with the client the
// Supabase CLI generates (oapi-codegen v2.4.1, the CLI's options, our saved spec; see README.md).
// Every answer must decode into the generated types. SUPABASE_API_URL and SUPABASE_ACCESS_TOKEN
// point it at a running sandbox (tests/clients/test_supabase_go.py starts one).
package supabaseclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"paas-stacks/tests/clients/supabase_go/api"
)

func client(t *testing.T) *api.ClientWithResponses {
	t.Helper()
	base, token := os.Getenv("SUPABASE_API_URL"), os.Getenv("SUPABASE_ACCESS_TOKEN")
	if base == "" || token == "" {
		t.Fatal("SUPABASE_API_URL and SUPABASE_ACCESS_TOKEN must point at a running sandbox")
	}
	auth := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
	c, err := api.NewClientWithResponses(base, api.WithRequestEditorFn(auth))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func expect(t *testing.T, what string, status, want int, body []byte) {
	t.Helper()
	if status != want {
		t.Fatalf("%s: status %d, want %d: %s", what, status, want, body)
	}
}

// newProject creates a project in the token's organization and waits until it is healthy.
func newProject(t *testing.T, c *api.ClientWithResponses, name string) string {
	t.Helper()
	ctx := context.Background()
	orgs, err := c.V1ListAllOrganizationsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "list organizations", orgs.StatusCode(), 200, orgs.Body)
	region := api.V1CreateProjectBodyRegion("eu-central-1")
	body := api.V1CreateProjectBody{Name: name, OrganizationSlug: (*orgs.JSON200)[0].Slug,
		DbPass: "go-client-db-pass", Region: &region}
	created, err := c.V1CreateAProjectWithResponse(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "create project", created.StatusCode(), 201, created.Body)
	ref := created.JSON201.Ref
	t.Cleanup(func() { _, _ = c.V1DeleteAProjectWithResponse(context.Background(), ref) })
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		got, err := c.V1GetProjectWithResponse(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		expect(t, "get project", got.StatusCode(), 200, got.Body)
		if got.JSON200.Status == "ACTIVE_HEALTHY" {
			return ref
		}
		if time.Now().After(deadline) {
			t.Fatalf("project %s still %s", ref, got.JSON200.Status)
		}
	}
}

func TestProjectsAreCreatedListedAndDeleted(t *testing.T) {
	c, ctx := client(t), context.Background()
	ref := newProject(t, c, "go-projects")
	listed, err := c.V1ListAllProjectsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "list projects", listed.StatusCode(), 200, listed.Body)
	found := false
	for _, p := range *listed.JSON200 {
		found = found || p.Ref == ref
	}
	if !found {
		t.Fatalf("project %s not listed", ref)
	}
	deleted, err := c.V1DeleteAProjectWithResponse(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "delete project", deleted.StatusCode(), 200, deleted.Body)
	gone, _ := c.V1GetProjectWithResponse(ctx, ref)
	expect(t, "get deleted project", gone.StatusCode(), 404, gone.Body)
}

func TestApiKeysIncludingTheLegacyToggle(t *testing.T) {
	c, ctx := client(t), context.Background()
	ref := newProject(t, c, "go-keys")
	keys, err := c.V1GetProjectApiKeysWithResponse(ctx, ref, &api.V1GetProjectApiKeysParams{})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "list api keys", keys.StatusCode(), 200, keys.Body)
	names := map[string]bool{}
	for _, k := range *keys.JSON200 {
		names[k.Name] = true
	}
	if !names["anon"] || !names["service_role"] {
		t.Fatalf("legacy keys missing: %v", names)
	}
	legacy, err := c.V1GetProjectLegacyApiKeysWithResponse(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "get legacy keys", legacy.StatusCode(), 200, legacy.Body)
	if !legacy.JSON200.Enabled {
		t.Fatal("legacy keys of a new project should be enabled")
	}
	off, err := c.V1UpdateProjectLegacyApiKeysWithResponse(ctx, ref,
		&api.V1UpdateProjectLegacyApiKeysParams{Enabled: false})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "disable legacy keys", off.StatusCode(), 200, off.Body)
	if off.JSON200.Enabled {
		t.Fatal("legacy keys still enabled after PUT enabled=false")
	}
}

func TestDatabaseQueryMigrationsAndPooler(t *testing.T) {
	c, ctx := client(t), context.Background()
	ref := newProject(t, c, "go-database")
	query, err := c.V1RunAQueryWithResponse(ctx, ref, api.V1RunQueryBody{Query: "select 41 + 1 as answer"})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "run query", query.StatusCode(), 201, query.Body)
	var rows []map[string]int
	if err := json.Unmarshal(query.Body, &rows); err != nil || len(rows) != 1 || rows[0]["answer"] != 42 {
		t.Fatalf("query rows %s (%v)", query.Body, err)
	}
	name, rollback := "widgets", "drop table widgets"
	applied, err := c.V1ApplyAMigrationWithResponse(ctx, ref, &api.V1ApplyAMigrationParams{},
		api.V1CreateMigrationBody{Query: "create table widgets (id int)", Name: &name, Rollback: &rollback})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "apply migration", applied.StatusCode(), 200, applied.Body)
	history, err := c.V1ListMigrationHistoryWithResponse(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "list migrations", history.StatusCode(), 200, history.Body)
	if history.JSON200 == nil || len(*history.JSON200) != 1 {
		t.Fatalf("migration history %s", history.Body)
	}
	version := (*history.JSON200)[0].Version
	one, err := c.V1GetAMigrationWithResponse(ctx, ref, version)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "get migration", one.StatusCode(), 200, one.Body)
	if one.JSON200.Name == nil || *one.JSON200.Name != name || one.JSON200.Statements == nil ||
		!strings.Contains((*one.JSON200.Statements)[0], "widgets") {
		t.Fatalf("migration %s", one.Body)
	}
	pooler, err := c.V1GetPoolerConfigWithResponse(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "get pooler", pooler.StatusCode(), 200, pooler.Body)
	entry := (*pooler.JSON200)[0]
	if entry.DbUser != fmt.Sprintf("postgres.%s", ref) || !strings.Contains(entry.ConnectionString, entry.DbName) {
		t.Fatalf("pooler %s", pooler.Body)
	}
}
