"""What a production deployment of Samudbud must have, checked in the
Kubernetes manifests (after kubernetes-validate has checked them against
the API's schemas). Prints each finding; exits 1 if there is any."""

import re
import sys

import yaml


def containers(spec):
    return spec.get("initContainers", []) + spec.get("containers", [])


def main(paths):
    docs = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            docs += [d for d in yaml.safe_load_all(f) if d]
    kinds = {}
    for doc in docs:
        kinds.setdefault(doc["kind"], []).append(doc)
    problems = []

    def need(condition, message):
        if not condition:
            problems.append(message)

    for kind in ["Job", "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "Ingress"]:
        need(kind in kinds, f"no {kind}")
    need("Secret" not in kinds, "a Secret is inlined; reference one created outside the manifests")

    jobs = [j for j in kinds.get("Job", []) if any(c.get("args") == ["migrate"] for c in containers(j["spec"]["template"]["spec"]))]
    need(jobs, "no Job runs `samudbud migrate`")
    for job in jobs:
        hooks = job["metadata"].get("annotations", {})
        need("pre-upgrade" in hooks.get("helm.sh/hook", "") or hooks.get("argocd.argoproj.io/hook") == "PreSync",
             "the migration Job is not ordered before the Deployment")

    for workload in kinds.get("Job", []) + kinds.get("Deployment", []):
        name = f"{workload['kind']}/{workload['metadata']['name']}"
        pod = workload["spec"]["template"]["spec"]
        pod_security = pod.get("securityContext", {})
        need(pod_security.get("runAsNonRoot") is True, f"{name}: runAsNonRoot is not set")
        need(isinstance(pod_security.get("runAsUser"), int) and pod_security["runAsUser"] > 0,
             f"{name}: no numeric non-root runAsUser")
        for c in containers(pod):
            where = f"{name} container {c['name']}"
            sc = c.get("securityContext", {})
            need(sc.get("readOnlyRootFilesystem") is True, f"{where}: root filesystem is writable")
            need(sc.get("allowPrivilegeEscalation") is False, f"{where}: privilege escalation allowed")
            need("ALL" in sc.get("capabilities", {}).get("drop", []), f"{where}: capabilities not dropped")
            res = c.get("resources", {})
            for part in ["requests", "limits"]:
                for what in ["cpu", "memory"]:
                    need(what in res.get(part, {}), f"{where}: no {what} {part[:-1]}")
            need(re.fullmatch(r".+:\d+\.\d+\.\d+", c.get("image", "")) is not None,
                 f"{where}: image {c.get('image')!r} is not referenced by a version tag")
            for env in c.get("env", []):
                if re.search(r"URL|SECRET|PASSWORD|TOKEN", env["name"]) and env["name"] not in ("SAMUDBUD_PUBLIC_URL",):
                    need("valueFrom" in env and "secretKeyRef" in env["valueFrom"],
                         f"{where}: {env['name']} is not taken from a Secret")

    for deployment in kinds.get("Deployment", []):
        for c in containers(deployment["spec"]["template"]["spec"]):
            need(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz",
                 f"{c['name']}: readiness probe is not /readyz")
            need(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz",
                 f"{c['name']}: liveness probe is not /healthz")

    for policy in kinds.get("NetworkPolicy", []):
        need(set(policy["spec"].get("policyTypes", [])) == {"Ingress", "Egress"},
             "the NetworkPolicy does not restrict both directions")

    for ingress in kinds.get("Ingress", []):
        need(ingress["spec"].get("tls"), "the Ingress has no TLS")
        annotations = " ".join(ingress["metadata"].get("annotations", {}).values())
        need("Strict-Transport-Security" in annotations, "the Ingress sets no HSTS")

    for problem in problems:
        print(f"deploy/kubernetes: {problem}")
    if not problems:
        print(f"deploy/kubernetes: {len(docs)} objects hold up")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
