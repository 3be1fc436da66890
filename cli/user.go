package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/ent"
	"yanzhen/ent/institution"
	entpost "yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/user"
	"yanzhen/regioncode"
)

// User runs `yanzhen user create --username U --role ROLE [--region
// CODE] [--institution EXTERNAL_ID] [--personal-data]`: the password is read
// from standard input when it is piped, else generated and printed once.
func User(ctx context.Context, env Env, args []string) error {
	ctx = auth.System(ctx) // a command acts as the system
	const usage = "usage: yanzhen user create --username U --role ADMIN|TOWNSHIP|VILLAGE|PARTNER [--region CODE] [--institution EXTERNAL_ID] [--personal-data] < password"
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("%s", usage)
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.StringVar(&env.DatabaseURL, "database", env.DatabaseURL, "database URL")
	name := fs.String("username", "", "the account's username")
	role := fs.String("role", "", "ADMIN, TOWNSHIP, VILLAGE or PARTNER")
	code := fs.String("region", "", "the region code of the scope (empty: a national admin)")
	inst := fs.String("institution", "", "PARTNER: the institution's external ID (机构编号)")
	personal := fs.Bool("personal-data", false, "grant the reveal of phone and ID numbers in the scope")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *name == "" || *role == "" {
		return fmt.Errorf("%s", usage)
	}
	password, err := readPassword(env.Stdin)
	if err != nil {
		return err
	}
	db, err := OpenDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	in := accounts.NewUser{Username: *name, Password: password, Role: auth.Role(strings.ToUpper(*role)), RegionCode: *code, PersonalData: *personal}
	if *inst != "" {
		id, err := db.Client.Institution.Query().Where(institution.ExternalID(*inst)).OnlyID(ctx)
		if ent.IsNotFound(err) {
			return fmt.Errorf("no institution has the external ID %q", *inst)
		}
		if err != nil {
			return err
		}
		in.Institution = id
	}
	u, generated, err := accounts.CreateUser(ctx, db.Client, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (%s %s)\n", u.Username, u.Role, scopeText(u))
	if generated != "" {
		fmt.Fprintf(env.Stdout, "password (shown once): %s\n", generated)
	}
	return nil
}

// readPassword reads one line from r when it is not a terminal; "" means
// generate one.
func readPassword(r io.Reader) (string, error) {
	if f, ok := r.(*os.File); ok {
		st, err := f.Stat()
		if err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func scopeText(u *ent.User) string {
	switch {
	case u.InstitutionID != nil:
		return fmt.Sprintf("institution %d", *u.InstitutionID)
	case u.RegionCode == "":
		return "national"
	}
	return "region " + u.RegionCode
}

// Demo accounts, one per role, documented in the README (demo data only;
// never use these passwords elsewhere).
const (
	demoCounty      = "150221" // 土默特右旗
	demoPartnerName = "长江大学"
)

type demoAccount struct {
	username, password string
	role               auth.Role
	personalData       bool
}

var demoAccounts = []demoAccount{
	{"admin", "yanzhen-admin-demo", auth.RoleAdmin, false},
	{"tumed", "yanzhen-tumed-demo", auth.RoleAdmin, true},
	{"township", "yanzhen-township-demo", auth.RoleTownship, false},
	{"village", "yanzhen-village-demo", auth.RoleVillage, false},
	{"partner", "yanzhen-partner-demo", auth.RolePartner, false},
}

// createDemoAccounts adds the demo accounts that do not exist yet: a
// national admin, an admin of 土默特右旗 with personal-data access, a user of
// the township and of the village of the first 土默特右旗 village with a
// current party secretary, and a partner at 长江大学.
func createDemoAccounts(ctx context.Context, db *database.DB, out io.Writer) error {
	ctx = auth.System(ctx)
	c := db.Client
	village, err := c.Region.Query().
		Where(regioncode.Within(demoCounty), region.LevelEQ(region.LevelVILLAGE),
			region.HasPostsWith(entpost.RoleIn(entpost.RolePARTY_SECRETARY, entpost.RoleSECRETARY_AND_DIRECTOR), entpost.EndDateIsNil())).
		Order(region.ByCode()).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	partner, err := c.Institution.Query().Where(institution.Name(demoPartnerName)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	for _, a := range demoAccounts {
		in := accounts.NewUser{Username: a.username, Password: a.password, Role: a.role, PersonalData: a.personalData}
		switch {
		case a.username == "tumed":
			in.RegionCode = demoCounty
		case a.role == auth.RoleTownship && village != nil:
			in.RegionCode = regioncode.Parent(village.Code)
		case a.role == auth.RoleVillage && village != nil:
			in.RegionCode = village.Code
		case a.role == auth.RolePartner && partner != nil:
			in.Institution = partner.ID
		case a.role != auth.RoleAdmin:
			continue // the demo area is not loaded
		}
		exists, err := c.User.Query().Where(user.Username(a.username)).Exist(ctx)
		if err != nil {
			return err
		}
		if exists {
			continue
		}
		u, _, err := accounts.CreateUser(ctx, c, in)
		if err != nil {
			return fmt.Errorf("creating the demo account %s: %w", a.username, err)
		}
		fmt.Fprintf(out, "demo account %s / %s (%s, %s)\n", u.Username, a.password, u.Role, scopeText(u))
	}
	return nil
}
