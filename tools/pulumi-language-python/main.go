// Command pulumi-language-python is a minimal Pulumi language host for Python programs.
//
// It exists because the Go module proxy reachable from our build machines does not serve the
// module github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3 at any version, so
// scripts/build-pulumi.sh cannot build Pulumi's own host there. Where that module can be
// downloaded the build script uses it and this file is not compiled.
//
// The host does the one job `pulumi up/preview/destroy/refresh` needs from it: run the program
// with the project's virtualenv through `pulumi-language-python-exec`, the launcher Pulumi ships
// in the sdk/v3 module (installed next to this binary). Plugin discovery returns nothing, since
// Python dynamic providers need no plugin download.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// bailExitCode is the launcher's exit code after it has already shown the user the error.
const bailExitCode = 32

type pythonHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	launcher string
}

func main() {
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	host := &pythonHost{launcher: filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")}
	cancel := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fail(err)
	}
	// The engine reads the port from our first line of output.
	fmt.Println(handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
	os.Exit(1)
}

func (h *pythonHost) Handshake(
	_ context.Context, _ *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *pythonHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

func (h *pythonHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *pythonHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *pythonHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: python, Metadata: map[string]string{"host": runtime.Version()}}, nil
}

func (h *pythonHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *pythonHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// InstallDependencies creates the project's virtualenv and installs requirements.txt into it.
func (h *pythonHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	venv := virtualenvOf(req.GetInfo())
	if venv == "" {
		return nil
	}
	steps := [][]string{{"python3", "-m", "venv", venv}}
	requirements := filepath.Join(req.GetInfo().GetProgramDirectory(), "requirements.txt")
	if _, err := os.Stat(requirements); err == nil {
		steps = append(steps, []string{filepath.Join(venv, "bin", "python"), "-m", "pip", "install", "-r", requirements})
	}
	for _, step := range steps {
		out, err := exec.Command(step[0], step[1:]...).CombinedOutput() //nolint:gosec // fixed commands
		if sendErr := stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: out}); sendErr != nil {
			return sendErr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(step, " "), err)
		}
	}
	return nil
}

// Run executes the program through Pulumi's Python launcher and reports how it ended.
func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	python := "python3"
	env := os.Environ()
	if venv := virtualenvOf(req.GetInfo()); venv != "" {
		python = filepath.Join(venv, "bin", "python")
		env = append(env, "VIRTUAL_ENV="+venv, "PATH="+filepath.Join(venv, "bin")+":"+os.Getenv("PATH"))
	}
	// A stack without config sends nil; the Python SDK expects an object and a list, never null.
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{}
	}
	secretList := req.GetConfigSecretKeys()
	if secretList == nil {
		secretList = []string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(secretList)
	if err != nil {
		return nil, err
	}
	env = append(env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))

	args := []string{"-u", h.launcher,
		"--monitor", req.GetMonitorAddress(),
		"--engine", engineAddress(),
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", req.GetPwd(),
		"--parallel", strconv.Itoa(int(req.GetParallel())),
		"--organization", req.GetOrganization(),
		"--root_directory", req.GetInfo().GetRootDirectory(),
	}
	if req.GetDryRun() {
		args = append(args, "--dry_run", "true")
	}
	args = append(args, programPath(req))
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, python, args...) //nolint:gosec // the engine chooses the program
	cmd.Env, cmd.Stdout, cmd.Stderr = env, os.Stdout, os.Stderr
	var exitErr *exec.ExitError
	switch err := cmd.Run(); {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == bailExitCode:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("python program exited with code %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
}

// engineAddress is the engine's RPC address: the CLI passes it as our first non-flag argument.
func engineAddress() string {
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			return arg
		}
	}
	return ""
}

func programPath(req *pulumirpc.RunRequest) string {
	info := req.GetInfo()
	if info == nil || info.GetEntryPoint() == "" {
		return "."
	}
	return filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
}

// virtualenvOf resolves the `virtualenv` runtime option of Pulumi.yaml against the project root.
func virtualenvOf(info *pulumirpc.ProgramInfo) string {
	if info == nil || info.GetOptions() == nil {
		return ""
	}
	value, ok := info.GetOptions().GetFields()["virtualenv"]
	if !ok || value.GetStringValue() == "" {
		return ""
	}
	venv := value.GetStringValue()
	if !filepath.IsAbs(venv) {
		venv = filepath.Join(info.GetRootDirectory(), venv)
	}
	return venv
}
