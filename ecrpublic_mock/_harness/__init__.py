"""What a test harness adds around the registry core: the per-activation service (the
registry, its lock, the faults a test injected and the call log), shared by every front
end (the ECR API, the registry protocol, the control plane) and by the activation."""
