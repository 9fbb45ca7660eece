# Two commands do all the set-up: `make run` (build the data, start the dashboard) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run data test lint bench venv clean system-deps chromium serve-cluster messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# The interface catalogue (trafficking/i18n.py), compiled at install; `make messages` extracts
# the marked strings and updates the .po for translators.
LOCALE := trafficking/locale
MO := $(LOCALE)/zh_Hant/LC_MESSAGES/messages.mo
$(MO): $(LOCALE)/zh_Hant/LC_MESSAGES/messages.po | $(VENV)/.runtime
	$(BIN)/pybabel -q compile -d $(LOCALE) -D messages

messages: $(VENV)/.runtime
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output \
	  --project "trafficking dashboard" -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages \
	  --ignore-obsolete --no-fuzzy-matching --width 100

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

venv: $(VENV)/.runtime $(MO)

# Builds data/trafficking.duckdb from the snapshot store (../shared/data/raw, or TRAFFICKING_SNAPSHOTS).
data: $(VENV)/.runtime $(MO)
	$(BIN)/python -m etl refresh

# trafficking.serve warms the server up (every page once, still images of the top charts,
# gc.freeze) and then runs `streamlit run dashboard_app.py` (dashboard.py as an st.App with preload
# hints, trafficking/preload.py) with these options in the same process.
run: data
	$(BIN)/python -m trafficking.serve --server.port $(PORT) --server.address localhost --server.headless true

# Browser tests and image export need Debian's chromium, the deployment test Debian's nginx, and
# Chinese exports (?lang=zh-Hant) a CJK font for that Chromium (fonts-noto-cjk; without it the
# glyphs are empty boxes); install whichever is missing.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	  dpkg-query -W -f='$${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian's$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	  fi

chromium: system-deps

# N Streamlit replicas behind nginx on loopback (deploy/README.md): make serve-cluster N=3
N ?= 3
serve-cluster: data system-deps
	$(BIN)/python -m deploy.cluster --replicas $(N) --port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: $(VENV)/.dev $(MO) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# `make bench` < 10 minutes, `make bench BENCH=--quick` < 3 (bench/RESULTS.md: what it measures).
BENCH ?=
bench: $(VENV)/.dev system-deps
	$(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) $(MO) data/raw data/*.duckdb data/published data/cluster data/package data/trafficking-data.zip
