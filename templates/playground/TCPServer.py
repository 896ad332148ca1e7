# TCPServer.py, the textbook uppercase server in Python 3.
# Usage: python3 TCPServer.py [serverPort] [bindAddress]   (port 0 picks a free one; the port is printed)
import sys
from socket import *

serverPort = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
bindAddress = sys.argv[2] if len(sys.argv) > 2 else ''
serverSocket = socket(AF_INET6 if ':' in bindAddress else AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind((bindAddress, serverPort))
serverSocket.listen(1)
print('The server is ready to receive on port', serverSocket.getsockname()[1], flush=True)
while True:
    connectionSocket, addr = serverSocket.accept()
    sentence = connectionSocket.recv(1024)
    capitalizedSentence = sentence.upper()
    connectionSocket.send(capitalizedSentence)
    connectionSocket.close()
