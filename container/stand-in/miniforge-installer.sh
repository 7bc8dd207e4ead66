#!/bin/sh
# Stand-in for Miniforge3-Linux-x86_64.sh: "installs" the stand-in mamba into /root/miniforge3.
set -e
mkdir -p /root/miniforge3/bin /root/miniforge3/envs
cp /opt/stand-in/mamba /root/miniforge3/bin/mamba
chmod +x /root/miniforge3/bin/mamba
echo "stand-in: Miniforge replaced by /opt/stand-in/mamba (see its docstring)"
