# Make targets of the original scenario: `make run` starts the orchestrator with the demo fleet.
.PHONY: run start test build bench install

install:
	npm install

build: install
	npm run build

run: install
	npm start

start: run

test: install
	npm test

bench: install
	npm run bench
